// The home page's charts, drawn by Chart.js from the figures the page carries (#chart-data's data-figures); the tables beside them hold the same figures.
(function () {
    const source = document.getElementById('chart-data');
    if (!source || typeof Chart === 'undefined') return;
    const data = JSON.parse(source.dataset.figures);
    const turnover = document.getElementById('turnover-chart');
    if (turnover) {
        new Chart(turnover, {
            type: 'bar',
            data: {
                labels: data.months,
                datasets: [
                    { label: data.labels.turnover, data: data.turnover },
                    { label: data.labels.contributions, data: data.contributions },
                ],
            },
        });
    }
    const ageing = document.getElementById('ageing-chart');
    if (ageing) {
        new Chart(ageing, {
            type: 'bar',
            data: { labels: data.labels.buckets, datasets: [{ label: data.labels.overdue, data: data.ageing }] },
            options: { indexAxis: 'y' },
        });
    }
})();
