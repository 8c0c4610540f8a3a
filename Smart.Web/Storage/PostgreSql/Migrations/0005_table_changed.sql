-- Each write to a table whose counts instances keep (Storage/PostgreSql/PostgreSqlCounts.cs) notifies every instance when its
-- transaction commits, whichever code path or instance wrote: one notification per statement (and PostgreSQL folds identical ones
-- within a transaction), so a batch of 500 re-evaluated invoices sends one.
create or replace function notify_table_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('table_changed', tg_table_name);
    return null;
end;
$$;

create trigger members_changed after insert or update or delete or truncate on members
    for each statement execute function notify_table_changed();
create trigger production_units_changed after insert or update or delete or truncate on production_units
    for each statement execute function notify_table_changed();
create trigger clients_changed after insert or update or delete or truncate on clients
    for each statement execute function notify_table_changed();
create trigger invoices_changed after insert or update or delete or truncate on invoices
    for each statement execute function notify_table_changed();
