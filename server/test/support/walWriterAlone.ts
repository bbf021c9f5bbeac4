/**
 * A process that only writes: batches of 4 KB pages through the checkpointer's
 * RESTART handshake, with no socket or timer keeping it alive. Prints the rows
 * stored and the restarts granted; `node --import tsx walWriterAlone.ts <file> <batches>`.
 */
import SQLite from 'better-sqlite3';
import { SqliteCheckpointer } from '../../src/storage/sqliteCheckpointer.ts';

const [file, batches] = [process.argv[2]!, Number(process.argv[3])];
const raw = new SQLite(file);
raw.pragma('journal_mode = WAL');
raw.exec('create table pages (body blob not null)');
const insert = raw.prepare('insert into pages (body) values (?)');
const writeBatch = raw.transaction(() => {
  for (let i = 0; i < 20; i++) insert.run(Buffer.alloc(4000, i));
});
const checkpointer = new SqliteCheckpointer(raw, file, { intervalMs: 5, restartFrames: 100, lowPriority: false });
let restarts = 0;
for (let i = 0; i < batches; i++) {
  const restart = checkpointer.beforeWrite();
  if (restart) {
    restarts += 1;
    await restart;
  }
  writeBatch();
  // Lets the worker's 'restart-wanted' arrive between batches, as a server's event loop would.
  await new Promise((resolve) => setTimeout(resolve, 2));
}
await checkpointer.stop();
const rows = (raw.prepare('select count(*) as n from pages').get() as { n: number }).n;
raw.close();
console.log(JSON.stringify({ rows, restarts }));
