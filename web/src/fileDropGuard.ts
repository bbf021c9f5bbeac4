/**
 * A file dragged from the desktop and dropped where nothing takes it (the jobs page, the chat list,
 * the navigation bar, a closed room) is opened by the browser in place of the app, and whatever was
 * typed and not sent goes with it. Page-wide, such drops are refused; the open room's drop area
 * (ChatRoom) takes its own first: React listens on the root, below the window, so its
 * preventDefault is seen here and the drop is left alone.
 */
export function guardFileDrops(target: Window): () => void {
  const refuse = (e: DragEvent) => {
    if (e.defaultPrevented || !e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    // The pointer shows that nothing here takes the file.
    e.dataTransfer.dropEffect = 'none';
  };
  target.addEventListener('dragover', refuse);
  target.addEventListener('drop', refuse);
  return () => {
    target.removeEventListener('dragover', refuse);
    target.removeEventListener('drop', refuse);
  };
}
