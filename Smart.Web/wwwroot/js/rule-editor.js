// The rule-set editor: Monaco over the form's text area (which stays the form field, so saving is a plain POST and the page works
// without JavaScript), the rule-set schema for completion and inline errors, and the server's check (every problem with its line,
// each test passed or failed) shown as inline markers and a list, without reloading the page.
(() => {
    const host = document.getElementById('editor');
    const textarea = document.getElementById('Data_Text');
    // Without the editor's files (not installed) the plain text area does the job.
    if (!host || !textarea || typeof window.require !== 'function' || typeof window.require.config !== 'function') return;
    const form = document.getElementById('edit-form');
    const texts = document.getElementById('check-texts').dataset;
    const status = document.getElementById('check-status');
    const result = document.getElementById('check-result');
    const checkButton = document.getElementById('check');
    const token = form.querySelector('input[name="__RequestVerificationToken"]')?.value ?? '';
    const readOnly = host.dataset.readOnly === 'true';

    window.require.config({ paths: { vs: host.dataset.editorFiles } });
    window.require(['vs/editor/editor.main'], async () => {
        const monaco = window.monaco;
        const json = monaco.json || monaco.languages.json;
        // A rule file names its schema "../../Smart.Rules/ruleset.schema.json": the model lives at rules/<cc>/<file> so that this
        // reference resolves to the schema registered here, and a file without "$schema" gets it by its name.
        const modelUri = monaco.Uri.parse('file:///rules/' + host.dataset.key);
        try {
            const response = await fetch(host.dataset.schemaUrl, { credentials: 'same-origin', headers: { Accept: 'application/schema+json' } });
            if (response.ok) {
                json.jsonDefaults.setDiagnosticsOptions({
                    validate: true, enableSchemaRequest: false, allowComments: false,
                    schemas: [{ uri: 'file:///Smart.Rules/ruleset.schema.json', fileMatch: [modelUri.toString()], schema: await response.json() }],
                });
            }
        } catch { /* without the schema the editor still highlights JSON and the server check still marks problems */ }

        const model = monaco.editor.createModel(textarea.value, 'json', modelUri);
        const editor = monaco.editor.create(host, {
            model, readOnly, automaticLayout: true, minimap: { enabled: false }, scrollBeyondLastLine: false, fontSize: 13,
            wordWrap: 'on', renderValidationDecorations: 'on',
        });
        host.classList.remove('d-none');
        textarea.classList.add('d-none');
        form.addEventListener('submit', () => { textarea.value = model.getValue(); });

        let sent = 0;
        let timer = 0;
        const check = async () => {
            if (!checkButton) return;
            clearTimeout(timer);
            const number = ++sent;
            status.textContent = texts.checking;
            const body = new URLSearchParams({ 'Data.Text': model.getValue() });
            try {
                const response = await fetch(host.dataset.checkUrl, {
                    method: 'POST', credentials: 'same-origin', body,
                    headers: { Accept: 'application/json', RequestVerificationToken: token },
                });
                if (!response.ok) throw new Error(String(response.status));
                const outcome = await response.json();
                if (number !== sent) return; // a newer check is on its way
                show(outcome);
                status.textContent = '';
            } catch {
                if (number === sent) status.textContent = texts.unavailable;
            }
        };

        const show = outcome => {
            const lines = model.getLineCount();
            const markers = outcome.problems.map(p => {
                const line = Math.min(Math.max(p.line, 1), lines);
                return {
                    severity: monaco.MarkerSeverity.Error, message: p.message, source: p.path || undefined,
                    startLineNumber: line, startColumn: model.getLineFirstNonWhitespaceColumn(line) || 1,
                    endLineNumber: line, endColumn: model.getLineMaxColumn(line),
                };
            });
            monaco.editor.setModelMarkers(model, 'rule-check', markers);
            result.replaceChildren(...render(outcome));
            result.querySelectorAll('[data-line]').forEach(item => {
                const line = Number(item.dataset.line);
                if (line > 0) item.addEventListener('click', () => { editor.revealLineInCenter(line); editor.setPosition({ lineNumber: line, column: 1 }); editor.focus(); });
            });
        };

        const element = (tag, attributes, ...children) => {
            const e = document.createElement(tag);
            for (const [name, value] of Object.entries(attributes ?? {})) e.setAttribute(name, value);
            e.append(...children);
            return e;
        };
        const place = p => [element('code', null, p.path), p.line > 0 ? ` (${texts.line} ${p.line})` : '', ' — ' + p.message];

        const render = outcome => {
            const parts = [];
            if (outcome.passed) {
                parts.push(element('div', { class: 'alert alert-success', id: 'check-passed' }, texts.passed));
            } else {
                parts.push(element('h2', { class: 'h5' }, `${texts.failed} (${outcome.problems.length})`));
                parts.push(element('ul', { class: 'list-group mb-3', id: 'problems' }, ...outcome.problems.map(p =>
                    element('li', { class: 'list-group-item list-group-item-danger small', 'data-path': p.path, 'data-line': p.line, role: 'button' }, ...place(p)))));
            }
            if (outcome.tests.length > 0) {
                const passed = outcome.tests.filter(t => t.passed).length;
                parts.push(element('h2', { class: 'h5' }, `${texts.tests} (${passed}/${outcome.tests.length})`));
                parts.push(element('ul', { class: 'list-unstyled small', id: 'tests' }, ...outcome.tests.map(t =>
                    element('li', { 'data-test': t.index, 'data-passed': String(t.passed), class: t.passed ? 'text-success' : 'text-danger' },
                        `${t.passed ? '✓' : '✗'} ${t.name}`,
                        ...(t.differences.length === 0 ? [] : [element('ul', { class: 'text-body' }, ...t.differences.map(d =>
                            element('li', { 'data-path': d.path, 'data-line': d.line, role: 'button' }, ...place(d))))])))));
            }
            return parts;
        };

        model.onDidChangeContent(() => {
            textarea.value = model.getValue();
            clearTimeout(timer);
            timer = setTimeout(check, 1500); // after a pause in typing, not on every key: each check runs the file's tests
        });
        checkButton?.addEventListener('click', event => { event.preventDefault(); check(); });
        check();
    });
})();

// A warning before leaving the editor with edits not saved: the text area holds the text being edited (the editor above writes into it as
// it changes); it is compared with the text the page was given, or counted as unsaved from the start when the page came back from a refused
// save. Saving or checking without the editor (the form's submit) leaves on purpose.
(() => {
    const form = document.getElementById('edit-form');
    const textarea = document.getElementById('Data_Text');
    if (!form || !textarea || textarea.readOnly) return;
    const given = textarea.value;
    const unsavedFromStart = form.dataset.unsaved === 'true';
    let submitting = false;
    form.addEventListener('submit', () => { submitting = true; });
    window.addEventListener('beforeunload', event => {
        if (submitting || (!unsavedFromStart && textarea.value === given)) return;
        event.preventDefault();
        event.returnValue = '';
    });
})();
