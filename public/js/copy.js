// Progressive enhancement: a "copy" button next to a read-only text (the citation). Without
// JavaScript the text is still there to select.
for (const button of document.querySelectorAll('[data-copy-target]')) {
  const target = document.getElementById(button.dataset.copyTarget);
  if (!target || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener('click', async () => {
    await navigator.clipboard.writeText(target.value ?? target.textContent ?? '');
    button.setAttribute('aria-live', 'polite');
  });
}
