/** The wire contract shared by server, client library, web app and load generator. */
export * from './shapes.ts';
export * from './errors.ts';
export * from './limits.ts';
export * from './frames.ts';
export * from './http.ts';
export * from './replies.ts';
export * from './chars.ts';
export * from './messageState.ts';
export * from './boardChange.ts';
export * from './searchFold.ts';
export * from './jobNotices.ts';
