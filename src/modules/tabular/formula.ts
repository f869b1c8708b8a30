const formulaStart = /^[=+\-@\t\r]/;
const plainNumber = /^[+-]?\d+([.,]\d+)*$/;

/**
 * OWASP CSV injection: a cell a spreadsheet could run as a formula. Plain numbers (-12.5,
 * +84912345678, -1.234,5) and a lone "-" (the usual "no data" mark) cannot run anything.
 */
export function looksLikeFormula(cell: string): boolean {
  return formulaStart.test(cell) && cell !== '-' && !plainNumber.test(cell);
}
