/** The `calculators` namespace; see `lib/featureTranslations.ts`. */
import { createFeatureTranslation, type FeatureTranslation } from '../../lib/featureTranslations';

export const NAMESPACE = 'calculators';

export type CalculatorsTranslation = FeatureTranslation;

export const useCalculatorsTranslation = createFeatureTranslation(
  NAMESPACE,
  import.meta.glob<{ default: Record<string, unknown> }>('./locales/*.json'),
);
