-- The directory: members, production units, clients, accounts, API keys and the audit log (filled by the stores' port).
select 1;
