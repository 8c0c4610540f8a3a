// Search-as-you-type pickers. A select or number input marked data-picker="member|unit|client" becomes a Tom Select that asks the
// intranet (/Find?handler=Members|Units|Clients&q=…, optionally &country=) as the user types. Without this script, or without Tom
// Select, the field stays the plain select or number input it is, and the form works as before.
(() => {
    if (!window.TomSelect) return;
    const handlers = { member: 'Members', unit: 'Units', client: 'Clients' };
    const texts = document.body.dataset;

    const urlFor = (field, q) => {
        const url = new URL(texts.findUrl || '/Find', window.location.origin);
        url.searchParams.set('handler', handlers[field.dataset.picker]);
        url.searchParams.set('q', q);
        if (field.dataset.pickerCountry) url.searchParams.set('country', field.dataset.pickerCountry);
        return url;
    };

    const ask = (field, q) =>
        fetch(urlFor(field, q), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
            .then(response => (response.ok ? response.json() : []))
            .then(choices => choices.map(c => ({ ...c, id: String(c.id) })));

    document.querySelectorAll('select[data-picker], input[data-picker]').forEach(field => {
        if (!handlers[field.dataset.picker] || field.tomselect) return;
        const isInput = field.tagName === 'INPUT';
        // Tom Select keeps the chosen id in the field; a number input would refuse the text it types meanwhile.
        if (isInput) field.type = 'text';
        const picker = new TomSelect(field, {
            valueField: 'id',
            labelField: 'label',
            searchField: [],
            maxItems: 1,
            maxOptions: 50,
            create: false,
            allowEmptyOption: true,
            loadThrottle: 250,
            closeAfterSelect: true,
            placeholder: texts.pickerPlaceholder || '',
            // The intranet already matched the words (a unit by its member's name too): show what it answers, in its order.
            score: () => () => 1,
            shouldLoad: q => q.trim().length > 0,
            load(q, done) {
                ask(field, q).then(choices => {
                    this.clearOptions();
                    done(choices);
                }, () => done());
            },
            render: {
                option: (c, escape) => `<div data-choice="${escape(c.id)}"><span>${escape(c.label)}</span>` +
                    (c.country ? ` <small class="text-body-secondary">${escape(c.country)}${c.detail ? ' · ' + escape(c.detail) : ''}</small>` : '') + '</div>',
                item: (c, escape) => `<div>${escape(c.label)}${c.detail && c.country ? ` <small class="text-body-secondary">${escape(c.detail)}</small>` : ''}</div>`,
                no_results: (_, escape) => `<div class="no-results">${escape(texts.pickerNoResults || '')}</div>`,
                loading: (_, escape) => `<div class="spinner-border spinner-border-sm m-2" role="status"><span class="visually-hidden">${escape(texts.pickerLoading || '')}</span></div>`,
            },
        });
        // The long option list of a select stays the fallback without JavaScript; typed searches replace it here.
        const chosen = picker.getValue();
        Object.keys(picker.options).filter(id => id !== chosen && id !== '').forEach(id => picker.removeOption(id));
        // A field holding a number shows the record's name: ask for that number, which the intranet answers first.
        if (isInput && chosen) {
            ask(field, String(chosen)).then(choices => {
                const match = choices.find(c => c.id === String(chosen));
                if (match) picker.updateOption(String(chosen), match);
            });
        }
    });
})();
