// Renderer entry: one API client (IPC or WebSocket, chosen once), the store connected to it, the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from './api-client';
import { App } from './App';
import { connectTerminal, useTerminal } from './stores/terminal';
import './styles.css';

document.documentElement.dataset['theme'] = useTerminal.getState().theme;
connectTerminal(createApiClient());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
