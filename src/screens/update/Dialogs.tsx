import { Confirm } from '../../components/Confirm.js';
import type { UpdateJournal } from '../../tasks/update/journal.js';

export type Asking = 'start' | 'stop' | 'rollback' | 'postgis' | 'resume' | null;

export interface DialogsProps {
  asking: Asking;
  root: string;
  database: string;
  target: string | undefined;
  /** What stopping the services cuts and what the plan does to them, for the start question. */
  services: string | null;
  /** The journal a rollback or resume works from. */
  journal: UpdateJournal | undefined;
  postgisDatabases: string[];
  onCancel(): void;
  onConfirm(asking: Exclude<Asking, null>): void;
  isActive: boolean;
}

interface Question {
  message: string;
  yesLabel?: string;
  /** The word to type (the database's name) before a yes counts. */
  word?: string;
}

function questionOf({ asking, root, database, target, services, journal, postgisDatabases }: DialogsProps): Question | null {
  switch (asking) {
    case 'start':
      return target ? { message: `Update ${root} to ${target}? ${services ? `${services}; ` : ''}a verified backup is taken first; the steps run one by one.`, yesLabel: 'Yes, update' } : null;
    case 'stop':
      return { message: 'Stop the running step? The update stops half-way; you can then retry, roll back or leave it.', yesLabel: 'Yes, stop it' };
    case 'rollback':
      return journal ? { message: `Roll back: commit ${journal.previous.commit.slice(0, 7)}, its requirements, and restore ${journal.backup ?? 'no backup (none was taken)'} over database ${database}.`, word: database } : null;
    case 'resume':
      return journal ? { message: `Resume the update to ${journal.target.ref} of ${journal.startedAt}: its remaining steps, with its backup ${journal.backup ?? '(none)'}?`, yesLabel: 'Yes, resume' } : null;
    case 'postgis':
      return { message: `Run ALTER EXTENSION postgis UPDATE; in ${postgisDatabases.join(', ')}, as the database superuser?`, yesLabel: 'Yes, update PostGIS' };
    default:
      return null;
  }
}

/** The questions the Update screen asks: the safe answer is the default; a rollback wants the database's name typed. */
export function Dialogs(props: DialogsProps) {
  const question = questionOf(props);
  const { asking } = props;
  if (!question || asking === null) return null;
  return (
    <Confirm
      message={question.message}
      yesLabel={question.yesLabel}
      dangerous={question.word ? { word: question.word } : undefined}
      onCancel={props.onCancel}
      onConfirm={() => props.onConfirm(asking)}
      isActive={props.isActive}
    />
  );
}
