-- The directory: members, production units, clients, accounts, API keys, rule-set versions, bank statements and the audit log.
-- Every record table: id, country, version (optimistic concurrency), the record as jsonb, and columns only for what is indexed.

create table audit (
    id bigint generated always as identity primary key,
    at_utc timestamptz not null,
    actor text not null,
    entity_type text not null,
    entity_id text not null,
    country text not null,
    action text not null,
    changes jsonb not null
);
create index audit_entity on audit (entity_type, entity_id, id desc);
create index audit_country on audit (country, id desc);
