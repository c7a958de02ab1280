/** The `team` namespace; see `lib/featureTranslations.ts`. */
import { createFeatureTranslation, type FeatureTranslation } from '../../lib/featureTranslations';

export const NAMESPACE = 'team';

export type TeamTranslation = FeatureTranslation;

export const useTeamTranslation = createFeatureTranslation(
  NAMESPACE,
  import.meta.glob<{ default: Record<string, unknown> }>('./locales/*.json'),
);
