Ctrading agent: small daily budget, Jupiter only beyond the defaults$SOL	"€αλ*€„―_*
€B ΒJ<