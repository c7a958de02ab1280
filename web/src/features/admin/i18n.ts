/** The `admin` namespace; see `lib/featureTranslations.ts`. */
import { createFeatureTranslation, type FeatureTranslation } from '../../lib/featureTranslations';

export const NAMESPACE = 'admin';

export type AdminTranslation = FeatureTranslation;

export const useAdminTranslation = createFeatureTranslation(
  NAMESPACE,
  import.meta.glob<{ default: Record<string, unknown> }>('./locales/*.json'),
);
