// The printable invoice's Print button: a script file, not an onclick attribute, so the page keeps to the Content-Security-Policy.
document.getElementById('print')?.addEventListener('click', () => window.print());
