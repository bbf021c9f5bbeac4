/** A job's card and the section of cards it is listed in. */
import { Fragment } from 'react';
import { jobStatusLabel, type Job } from '@ecc/protocol';
import { formatJobTime } from './jobTime.ts';

/** Who a card names: "Client", "Cleaner" and their display names. */
export interface JobPerson {
  label: 'Client' | 'Cleaner';
  name: string;
}

/** `tools`: shown under the heading, before the cards (support staff's search). */
export function JobSection(props: { title: string; empty: string; headingRef?: React.Ref<HTMLHeadingElement>; tools?: React.ReactNode; children: React.ReactNode[] }) {
  const { title, empty, headingRef, tools, children } = props;
  const id = `jobs-${title.toLowerCase().replace(/\s+/g, '-')}`;
  return (
    <section className="job-section" aria-labelledby={id}>
      {/* Focusable from script only: where the keyboard goes when the last card it was on leaves. */}
      <h2 id={id} ref={headingRef} tabIndex={headingRef ? -1 : undefined}>
        {title}
      </h2>
      {tools}
      {children.length === 0 ? <p className="muted">{empty}</p> : <ul className="job-grid">{children}</ul>}
    </section>
  );
}

/**
 * The ids of a card's number and title: every card has the same buttons ("Accept job", "Cancel job"), and one
 * tabbing through them with a screen reader hears which job each is for as its description ("Job #7 Windows").
 */
export function aboutJob(job: Job): string {
  return `job-${job.id}-number job-${job.id}-title`;
}

export function JobCard(props: { job: Job; people?: JobPerson[]; cardRef?: React.Ref<HTMLLIElement>; children: React.ReactNode }) {
  const { job, people = [], cardRef, children } = props;
  return (
    <li className="job-card" aria-label={`Job #${job.id} · ${job.title}`} data-job-id={job.id} tabIndex={-1} ref={cardRef}>
      <div className="job-card-top">
        <span className="job-id" id={`job-${job.id}-number`}>
          Job #{job.id}
        </span>
        <span className={`status-chip status-${job.status}`}>{jobStatusLabel(job.status)}</span>
      </div>
      {/* Each from its own text, as a message: a Hebrew or Arabic title reads right to left. */}
      <h3 id={`job-${job.id}-title`} dir="auto">
        {job.title}
      </h3>
      {job.description && (
        <p className="job-description" dir="auto">
          {job.description}
        </p>
      )}
      <dl className="job-facts">
        {people.map(({ label, name }) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{name}</dd>
          </Fragment>
        ))}
        {job.address ? (
          <>
            <dt>Address</dt>
            <dd dir="auto">{job.address}</dd>
          </>
        ) : (
          // An open job a cleaner browses: the server gives its address only to the cleaner who accepts it.
          job.addressOnAccept && (
            <>
              <dt>Address</dt>
              <dd className="muted">Given to the cleaner who accepts the job</dd>
            </>
          )
        )}
        {job.scheduledAt && (
          <>
            <dt>When</dt>
            <dd>{formatJobTime(job.scheduledAt)}</dd>
          </>
        )}
      </dl>
      <div className="job-actions">{children}</div>
    </li>
  );
}
