// The invoice form's rows, in place: "Add line" copies the last row emptied, "Remove" drops a row; after each the rows are numbered
// again (Lines[0], Lines[1], …) so the model binder, which stops at the first gap, reads them all. Without this script both buttons
// post the form to a handler that renders it again with the row added or dropped.
(() => {
    const table = document.getElementById('line-rows');
    const add = document.querySelector('[data-add-line]');
    if (!table || !add) return;
    const body = table.tBodies[0];
    const max = parseInt(table.dataset.maxLines || '200', 10);

    const renumber = () => Array.from(body.rows).forEach((row, index) => {
        row.querySelectorAll('[name],[id],[data-valmsg-for],[formaction],[aria-describedby]').forEach(element => {
            for (const attribute of ['name', 'id', 'data-valmsg-for', 'formaction']) {
                const value = element.getAttribute(attribute);
                if (value === null) continue;
                element.setAttribute(attribute, value
                    .replace(/Lines\[\d+\]/g, `Lines[${index}]`)
                    .replace(/Lines_\d+__/g, `Lines_${index}__`)
                    .replace(/([?&]row=)\d+/, `$1${index}`));
            }
        });
    });
    const changed = () => table.dispatchEvent(new Event('lines-changed', { bubbles: true }));

    add.addEventListener('click', event => {
        event.preventDefault();
        if (body.rows.length >= max) return;
        const last = body.rows[body.rows.length - 1];
        const row = last.cloneNode(true);
        row.querySelectorAll('input').forEach(input => { input.value = ''; });
        row.querySelectorAll('select').forEach(select => { select.selectedIndex = 0; });
        row.querySelectorAll('[data-valmsg-for]').forEach(message => { message.textContent = ''; });
        body.appendChild(row);
        renumber();
        row.querySelector('input')?.focus();
        changed();
    });

    body.addEventListener('click', event => {
        const remove = event.target.closest('[data-remove-line]');
        if (!remove) return;
        event.preventDefault();
        const row = remove.closest('tr');
        if (body.rows.length > 1) row.remove();
        else {
            row.querySelectorAll('input').forEach(input => { input.value = ''; });
            row.querySelectorAll('select').forEach(select => { select.selectedIndex = 0; });
        }
        renumber();
        changed();
    });
})();
