import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@kern-ux/native/dist/kern.min.css';
import './styles/fonts.css';
import './styles/app.css';
import { App } from './app/App';
import { initI18n } from './lib/i18n';

await initI18n();

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
