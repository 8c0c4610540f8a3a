// Polls an accepted correction run's progress once a second and moves the bar; reloads the page once it has ended.
(() => {
    const run = document.getElementById('correction');
    if (!run || !['Approved', 'Comparing', 'Correcting'].includes(run.dataset.status)) return;
    const bar = document.getElementById('progress-bar');
    const progress = document.getElementById('progress');
    const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
    const poll = async () => {
        try {
            const response = await fetch(run.dataset.progressUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
            if (response.ok) {
                const p = await response.json();
                bar.style.width = p.percent + '%';
                bar.textContent = p.percent + '%';
                progress.setAttribute('aria-valuenow', p.percent);
                for (const field of ['statements', 'corrected']) {
                    const cell = run.querySelector(`[data-field="${field}"]`);
                    if (cell) cell.textContent = number.format(p[field]);
                }
                if (!['Approved', 'Comparing', 'Correcting'].includes(p.status)) { window.location.reload(); return; }
            }
        } catch { /* a missed poll is retried */ }
        setTimeout(poll, 1000);
    };
    setTimeout(poll, 1000);
})();
