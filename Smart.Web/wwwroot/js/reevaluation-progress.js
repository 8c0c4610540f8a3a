// Polls a running re-evaluation's progress once a second and moves the bar; reloads the page once the run has ended.
(() => {
    const run = document.getElementById('run');
    if (!run || run.dataset.status !== 'Running') return;
    const bar = document.getElementById('progress-bar');
    const progress = document.getElementById('progress');
    const number = new Intl.NumberFormat(document.documentElement.lang || undefined);
    const poll = async () => {
        try {
            const response = await fetch(run.dataset.progressUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
            if (!response.ok) return;
            const p = await response.json();
            bar.style.width = p.percent + '%';
            bar.textContent = p.percent + '%';
            progress.setAttribute('aria-valuenow', p.percent);
            for (const field of ['total', 'done', 'changed', 'failed', 'skipped']) {
                const cell = run.querySelector(`[data-field="${field}"]`);
                if (cell) cell.textContent = number.format(p[field]);
            }
            if (p.status !== 'Running') { window.location.reload(); return; }
        } catch { /* a missed poll is retried */ }
        setTimeout(poll, 1000);
    };
    setTimeout(poll, 1000);
})();
