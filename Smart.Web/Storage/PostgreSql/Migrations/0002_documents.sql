-- Documents: invoices and their numbering, contracts, expense claims, the unit ledger, reminders, runs (filled by the stores' port).
select 1;
