import { createRoot } from 'react-dom/client';
import { ApiClient } from '@ecc/client';
import { App } from './App.tsx';
import './theme.css';
import './styles.css';
import './chatPanel.css';
import './screens.css';

const root = document.getElementById('root');
if (!root) throw new Error('No #root element');
createRoot(root).render(<App api={new ApiClient({ baseUrl: window.location.origin })} />);
