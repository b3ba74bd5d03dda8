import type { Transaction } from 'kysely';
import type { Db } from '../platform/db/database.ts';
import type { DB } from '../platform/db/schema.ts';

/**
 * A view of an open transaction whose `transaction()` joins it instead of starting a new one. Services built on
 * it (`new XService({ db: joinedTransaction(trx), … })`) do their usual `db.transaction().execute(…)`, and all of
 * their writes and audit events commit or roll back with the caller's transaction. Used by the demo seed, which
 * must be all-or-nothing under an advisory lock.
 */
export function joinedTransaction(trx: Transaction<DB>): Db {
  const builder = {
    execute: <T>(fn: (t: Db) => Promise<T>): Promise<T> => fn(joined),
    setIsolationLevel: () => builder,
    setAccessMode: () => builder,
  };
  const joined: Db = new Proxy(trx, {
    get(target, prop) {
      if (prop === 'transaction') return () => builder;
      const value: unknown = Reflect.get(target, prop, target);
      // Kysely uses private fields: methods must run on the real object, not the proxy.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return joined;
}
