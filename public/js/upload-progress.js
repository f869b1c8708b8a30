// Progressive enhancement: with JavaScript, large uploads show a progress bar; without it, the form
// posts normally. The server checks everything again either way.
for (const form of document.querySelectorAll('form.upload-form')) {
  form.addEventListener('submit', (event) => {
    const input = form.querySelector('input[type=file]');
    const file = input?.files?.[0];
    const progress = form.querySelector('progress');
    if (!file || !progress || !window.XMLHttpRequest) return;
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open('POST', form.action);
    progress.hidden = false;
    request.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
    });
    request.addEventListener('load', () => {
      // The server answers with a redirect (followed by XHR) or the page with the error next to the field.
      document.open();
      document.write(request.responseText);
      document.close();
      if (request.responseURL) history.replaceState(null, '', request.responseURL);
    });
    request.addEventListener('error', () => form.submit());
    request.send(new FormData(form));
  });
}
