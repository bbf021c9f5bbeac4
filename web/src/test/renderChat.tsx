/** Renders UI inside a ChatProvider over a fake transport, with a fixed viewport for react-virtuoso in jsdom. */
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { VirtuosoMockContext } from 'react-virtuoso';
import { ChatProvider } from '../chat/ChatContext.tsx';
import { ChatController } from '../chat/controller.ts';
import { FakeEnvironment, FakeTransport, FakeUploader } from './fakeTransport.ts';

export function renderChat(ui: ReactNode) {
  const transport = new FakeTransport();
  const env = new FakeEnvironment();
  const uploader = new FakeUploader();
  let n = 0;
  const chat = new ChatController(transport, env, () => `cid-${++n}`, uploader);
  chat.connect();
  const result = render(
    <VirtuosoMockContext.Provider value={{ viewportHeight: 2000, itemHeight: 40 }}>
      <ChatProvider controller={chat}>{ui}</ChatProvider>
    </VirtuosoMockContext.Provider>,
  );
  return { ...result, chat, transport, env, uploader };
}
