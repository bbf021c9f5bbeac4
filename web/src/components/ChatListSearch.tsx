/**
 * The chat list's search box. What is typed lives in the chat store (listQuery): it survives
 * opening a room and coming back, and is forgotten when the panel closes.
 *
 * Keys: Escape clears a search first (the panel closes on the next one); Down goes to the first
 * match; Enter opens it.
 */
import type { KeyboardEvent, RefObject } from 'react';
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { belongsToComposition } from './compositionKey.ts';

interface Props {
  /** The input: the list moves focus to it (Up from the first row). */
  box: RefObject<HTMLInputElement | null>;
  /** How many rooms match: told to screen readers as it changes. */
  matches: number;
  /** Down in the box: focus the first match. */
  onFirstMatch: () => void;
  /** Enter in the box: open the first match. */
  onOpenFirstMatch: () => void;
}

export function ChatListSearch({ box, matches, onFirstMatch, onOpenFirstMatch }: Props) {
  const chat = useChat();
  const query = useChatSelector((s) => s.listQuery);
  const searching = query.trim() !== '';

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    // A key an input method takes (Enter confirming a word, Escape dropping it) is its own.
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || belongsToComposition(e)) return;
    if (e.key === 'Escape' && query !== '') {
      // Handled: the panel's own Escape (closing it) waits for the next press.
      e.preventDefault();
      chat.searchRooms('');
    } else if (e.key === 'ArrowDown' && matches > 0) {
      e.preventDefault();
      onFirstMatch();
    } else if (e.key === 'Enter' && searching && matches > 0) {
      e.preventDefault();
      onOpenFirstMatch();
    }
  };

  return (
    <div className="chat-list-search" role="search">
      <label htmlFor="chat-list-search" className="visually-hidden">
        Search conversations
      </label>
      <input
        ref={box}
        id="chat-list-search"
        type="search"
        placeholder="Search conversations"
        autoComplete="off"
        spellCheck={false}
        enterKeyHint="search"
        value={query}
        onChange={(e) => chat.searchRooms(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {query !== '' && (
        <button
          type="button"
          className="icon-button chat-list-search-clear"
          aria-label="Clear search"
          onClick={() => {
            chat.searchRooms('');
            // The button goes with the text: focus stays in the search.
            box.current?.focus();
          }}
        >
          ×
        </button>
      )}
      <p role="status" className="visually-hidden">
        {!searching ? '' : matches === 0 ? 'No conversations match' : `${matches} ${matches === 1 ? 'conversation' : 'conversations'}`}
      </p>
    </div>
  );
}

/** The list says so when nothing matches, with a way back to all rooms. */
export function NoMatches({ query, onClear }: { query: string; onClear: () => void }) {
  return (
    <div className="empty-state">
      <p>No conversations match “{query.trim()}”</p>
      <button type="button" className="link-button" onClick={onClear}>
        Show all conversations
      </button>
    </div>
  );
}
