/** The `dashboard` namespace; see `lib/featureTranslations.ts`. */
import { createFeatureTranslation, type FeatureTranslation } from '../../lib/featureTranslations';

export const NAMESPACE = 'dashboard';

export type DashboardTranslation = FeatureTranslation;

export const useDashboardTranslation = createFeatureTranslation(
  NAMESPACE,
  import.meta.glob<{ default: Record<string, unknown> }>('./locales/*.json'),
);
