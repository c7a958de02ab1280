import { RouterProvider } from 'react-router';
import { Loader } from '../components/Loader';
import { AuthProvider, useAuth } from '../lib/auth';
import { UnreachablePage } from './pages/UnreachablePage';
import { router } from './router';

function Routes() {
  const { status } = useAuth();
  if (status === 'loading') return <Loader />;
  if (status === 'unreachable') return <UnreachablePage />;
  return <RouterProvider router={router} />;
}

export function App() {
  return (
    <AuthProvider>
      <Routes />
    </AuthProvider>
  );
}
