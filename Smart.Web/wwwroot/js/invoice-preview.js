// The invoice form's live preview: a moment after the user stops typing, the form is posted (with its anti-forgery token) to the page's
// Preview handler, which evaluates it without saving; its answer replaces the panel. An older answer arriving late is dropped.
(() => {
    const panel = document.getElementById('invoice-preview');
    const form = panel && document.getElementById(panel.dataset.form);
    if (!form || !window.fetch) return;
    let timer = 0;
    let pending = null;
    const refresh = async () => {
        pending?.abort();
        const request = pending = new AbortController();
        panel.setAttribute('aria-busy', 'true');
        try {
            const response = await fetch(panel.dataset.url, { method: 'POST', body: new FormData(form), signal: request.signal, credentials: 'same-origin' });
            if (request !== pending) return;
            panel.querySelector('[data-preview-body]').innerHTML = response.ok ? await response.text() : '';
            panel.dataset.updates = String(parseInt(panel.dataset.updates || '0', 10) + 1);
        } catch (error) {
            if (error.name !== 'AbortError') throw error;
        } finally {
            if (request === pending) panel.removeAttribute('aria-busy');
        }
    };
    const later = () => {
        clearTimeout(timer);
        timer = setTimeout(refresh, 350);
    };
    form.addEventListener('input', later);
    form.addEventListener('change', later);
    form.addEventListener('lines-changed', later);
    panel.hidden = false;
    refresh();
})();
