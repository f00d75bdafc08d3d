// Admin UI enhancements; every page works without them.
// - [data-copy="<input id>"] buttons copy that input's value.
// - select[data-autosubmit] submits its form when changed.
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-copy]') : null;
  if (!button) return;
  const input = document.getElementById(button.getAttribute('data-copy'));
  if (!input) return;
  input.select();
  const done = () => {
    button.textContent = 'Copied';
  };
  if (navigator.clipboard)
    navigator.clipboard
      .writeText(input.value)
      .then(done, () => document.execCommand('copy') && done());
  else if (document.execCommand('copy')) done();
});
document.addEventListener('change', (event) => {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute('data-autosubmit') && el.form)
    el.form.requestSubmit();
});
