// Shows only the chosen country's legal forms in a select whose data-legal-forms-for names the country select.
document.querySelectorAll('select[data-legal-forms-for]').forEach(forms => {
    const country = document.getElementById(forms.dataset.legalFormsFor);
    if (!country) return;
    const show = () => {
        forms.querySelectorAll('optgroup[data-country]').forEach(group => {
            const hidden = country.value !== '' && group.dataset.country !== country.value;
            group.hidden = hidden;
            if (hidden && group.contains(forms.selectedOptions[0])) forms.value = '';
        });
    };
    country.addEventListener('change', show);
    show();
});
