)payments agent: USDC to the merchant onlySOL	" *	€£€­âC
 Æúzó¾Û­:=eój«Ét1±»äÂÒöàä|¦E/]aUSDC"€áë*	€£€„¯_2€ÚÄ	"b"
 ~Œ‡`¿ŞİÏ2Á ›‚BîRªñ1úÍˆĞê,mò