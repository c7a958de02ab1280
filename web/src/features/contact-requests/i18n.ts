/** The `contactRequests` namespace; see `lib/featureTranslations.ts`. */
import { createFeatureTranslation } from '../../lib/featureTranslations';

export const NAMESPACE = 'contactRequests';

export const useContactRequestsTranslation = createFeatureTranslation(
  NAMESPACE,
  import.meta.glob<{ default: Record<string, unknown> }>('./locales/*.json'),
);
