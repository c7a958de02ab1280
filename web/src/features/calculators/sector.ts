/**
 * The working-time check's sector (§ 10 ArbZG exceptions, LABOUR_LAW.md § 4.2) from the client's
 * recorded sector, a WZ 2008 section letter: A agriculture, H transport and storage, I
 * accommodation and food (hospitality), Q health and social work (care). Other sections, and J
 * (which holds broadcasting but also telecoms and IT), leave the choice to the advisor.
 */
const BY_SECTION: Record<string, string> = { A: 'agriculture', H: 'transport', I: 'hospitality', Q: 'care' };

export function sectorOfWzSection(section: string | null): string | null {
  return (section && BY_SECTION[section]) ?? null;
}
