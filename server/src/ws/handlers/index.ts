/** The handler of every client frame type, keyed by `type`. */
import type { FrameHandlers } from './types.ts';
import { handleSend } from './send.ts';
import { handleHistory } from './history.ts';
import { handleRead } from './read.ts';
import { handleTyping } from './typing.ts';
import { handleDelete, handleEdit } from './edit.ts';

export const FRAME_HANDLERS: FrameHandlers = {
  send: handleSend,
  history: handleHistory,
  read: handleRead,
  typing: handleTyping,
  edit: handleEdit,
  delete: handleDelete,
  ping: async ({ socket }, frame) => {
    socket.sendFrame(frame.ref === undefined ? { type: 'pong' } : { type: 'pong', ref: frame.ref });
  },
};

export type { HandlerContext, HandlerSocket } from './types.ts';
