// Vitest runs without globals, so Testing Library cannot register its own cleanup.
import { afterEach } from 'vitest';
import { cleanup, configure } from '@testing-library/react';

afterEach(() => cleanup());

// waitFor/findBy give up after 1 s by default: on a loaded 2-core machine a render can take longer.
configure({ asyncUtilTimeout: 4000 });
