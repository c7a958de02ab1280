/** The `escalations` namespace; see `lib/featureTranslations.ts`. */
import { createFeatureTranslation, type FeatureTranslation } from '../../lib/featureTranslations';

export const NAMESPACE = 'escalations';

export type EscalationsTranslation = FeatureTranslation;

export const useEscalationsTranslation = createFeatureTranslation(
  NAMESPACE,
  import.meta.glob<{ default: Record<string, unknown> }>('./locales/*.json'),
);
