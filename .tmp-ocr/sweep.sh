set -x
M="npx tsx libs/ocr/scripts/measure-dev-set.ts"
$M --max-scale 1 --psm 3 2>&1 | grep -E "^(FUNSD|OCR|ocrd|wall|config)" -A0
$M --max-scale 1 --psm 6 2>&1 | grep -E "^(FUNSD|OCR|wall|config)"
$M --max-scale 1 --psm 11 2>&1 | grep -E "^(FUNSD|OCR|wall|config)"
$M --psm 3 2>&1 | grep -E "^(FUNSD|OCR|wall|config)"
$M 2>&1 | tee .tmp-ocr/default.log | grep -E "^(FUNSD|OCR|wall|config)"
$M --hint 2>&1 | grep -E "^(FUNSD|OCR|wall|config)"
$M --model standard 2>&1 | grep -E "^(FUNSD|OCR|wall|config)"
