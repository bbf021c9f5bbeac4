/**
 * The people a room's header names, and their presence: the other person alone in a room of two; once support staff have
 * joined a job's chat, each of the others ("Bob Cleaner, Sam Support (support)"), the primary person
 * first (peopleOf). Each name in its own direction (a right-to-left name took the ", " after it into
 * its run, as in TypingLine).
 */
import { Fragment } from 'react';
import type { Participant } from '@ecc/protocol';

/** How many of a room's others its header names before counting the rest. */
const NAMED_AT_MOST = 3;

/**
 * `markStaff`: say "(support)" after support staff, where they are not who the room is with (a job's chat).
 * `role`: the primary person's role chip ("Cleaner", to an agent in a support room), beside their name.
 */
export function RoomPeople({ people, markStaff, role }: { people: readonly Participant[]; markStaff: boolean; role?: string | undefined }) {
  const [only] = people;
  if (people.length === 1 && only) {
    return (
      <>
        <span className="chat-room-other" dir="auto">
          {only.displayName}
        </span>
        {role && <span className="role-chip">{role}</span>}
      </>
    );
  }
  // A big room (a general one of a hundred) names a few and counts the rest: a header is not a member list.
  const named = people.slice(0, NAMED_AT_MOST);
  const more = people.length - named.length;
  return (
    <span className="chat-room-other many">
      {/* A person a box of their own (chatPanel.css): a line breaks between people, not inside a name, where it fits. */}
      {named.map((p, i) => (
        <Fragment key={p.id}>
          {i > 0 && ' '}
          <span className="person">
            <span dir="auto">{p.displayName}</span>
            {markStaff && p.role === 'support' && ' (support)'}
            {i === 0 && role && <span className="role-chip">{role}</span>}
            {i < named.length - 1 && ','}
          </span>
        </Fragment>
      ))}
      {more > 0 && <span className="person"> and {more === 1 ? '1 other' : `${more} others`}</span>}
    </span>
  );
}

/** A presence as the header says it: "Online", "Last seen today at 9:05 AM", "Offline". */
export interface ShownPresence {
  person: Participant;
  text: string;
}

/**
 * "· Online" for the one person whose presence is shown, beside the one name the header gives. Named
 * (`named`, or two people: the client and the cleaner, to support staff in a job's chat), on a line of its
 * own, each person's: "Bob Cleaner: Online" under "Bob Cleaner, Sam Support (support)" (a bare "Online"
 * there read as Sam's), "Alice Client: Online · Bob Cleaner: Offline", a line breaking between them,
 * not inside one, the "·" drawn only between two on a line (chatPanel.css).
 */
export function PeoplePresence({ shown, named = false }: { shown: readonly ShownPresence[]; named?: boolean }) {
  const [only] = shown;
  if (!only) return null;
  const text = ({ person, text: words }: ShownPresence) => <span className={person.online ? 'presence-text online' : 'presence-text'}>{words}</span>;
  if (shown.length === 1 && !named) {
    return (
      <span className="chat-room-presence">
        {/* Clipped when the presence wraps to a line of its own (chatPanel.css): no "·" starts a line. */}
        <span className="fact-separator">·</span>
        {text(only)}
      </span>
    );
  }
  return (
    <span className="chat-room-presence named">
      {shown.map((one, i) => (
        <Fragment key={one.person.id}>
          {/* Not laid out between flex items: it keeps the words apart when copied. */}
          {i > 0 && ' '}
          <span className="person">
            <span dir="auto">{one.person.displayName}</span>: {text(one)}
          </span>
        </Fragment>
      ))}
    </span>
  );
}
