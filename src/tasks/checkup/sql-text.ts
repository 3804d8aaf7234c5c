import type { Fix } from './types.js';

/**
 * SQL text for the fixes. Utility statements (ALTER SYSTEM, ALTER ROLE, VACUUM) take no bind parameters, so
 * names and values are quoted here, the way PostgreSQL's quote_ident and quote_literal do.
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Parameter names are plain identifiers; anything else is refused rather than quoted. */
export function assertParameterName(name: string): string {
  if (!/^[a-z_][a-z0-9_.]*$/.test(name)) throw new Error(`not a PostgreSQL parameter name: ${name}`);
  return name;
}

export function alterSystemSql(parameter: string, value: string): string {
  return `ALTER SYSTEM SET ${assertParameterName(parameter)} = ${quoteLiteral(value)};`;
}

export function alterSystemFix(parameter: string, value: string): Fix {
  return { kind: 'alter-system', parameter, value, text: alterSystemSql(parameter, value) };
}

export function alterRoleSql(role: string, parameter: string, value: string): string {
  return `ALTER ROLE ${quoteIdent(role)} SET ${assertParameterName(parameter)} TO ${quoteLiteral(value)};`;
}

export function alterRoleFix(role: string, settings: [string, string][]): Fix {
  const statements = settings.map(([name, value]) => alterRoleSql(role, name, value));
  return { kind: 'alter-role', role, settings, statements, text: statements.join('\n') };
}

export function qualifiedName(schema: string, table: string): string {
  return schema === 'public' ? quoteIdent(table) : `${quoteIdent(schema)}.${quoteIdent(table)}`;
}
