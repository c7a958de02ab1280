import type { ReactNode } from 'react';
import type { Loadable } from '../lib/useLoad';
import { ErrorMessage } from './ErrorMessage';
import { Loader } from './Loader';

/**
 * What a page shows for data it loads (`useLoad`): the loader while it comes, the error message if
 * it failed, and `children(data)` once it is there.
 */
export function Loaded<T>({
  value,
  label,
  children,
}: {
  value: Loadable<T>;
  label?: string;
  children: (data: T) => ReactNode;
}) {
  if (value.status === 'loading') return <Loader label={label} />;
  if (value.status === 'error') return <ErrorMessage error={value.error} />;
  return <>{children(value.data)}</>;
}
