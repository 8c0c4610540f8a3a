// Confirmation before an irreversible step. A link with data-opens="<dialog id>" goes to a page showing that dialog open (the
// confirmation step without JavaScript); here it opens the dialog in place, as a modal. A link with data-closes closes it.
document.querySelectorAll('a[data-opens]').forEach(link => link.addEventListener('click', event => {
    const dialog = document.getElementById(link.dataset.opens);
    if (!dialog || typeof dialog.showModal !== 'function') return;
    event.preventDefault();
    if (dialog.open) dialog.close();
    dialog.showModal();
}));
document.querySelectorAll('[data-closes]').forEach(link => link.addEventListener('click', event => {
    const dialog = document.getElementById(link.dataset.closes);
    if (!dialog || !dialog.open) return;
    event.preventDefault();
    dialog.close();
}));
