Ctrading agent: small daily budget, Jupiter only beyond the defaults$SOL	"Ä·Î*êÄÑØ_*
Ä£Ä µÓ<
 ∆˙zÛæ€≠:=eÛj´…t1±ª‰¬“ˆ‡‰|¶E/]aUSDC"¿ı*	Ä£Ä¬◊/"$
 y’[Ú1¿nÓt≈nŒh˝±≤ﬁ£ÙéQ±Õ¢VºèB†¬J<