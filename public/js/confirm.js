// Destructive forms (data-confirm) ask in a <dialog> before they post; the answer travels as
// confirm=yes so that the server does not ask a second time. Without this script the server asks.
const dialog = document.createElement('dialog');
dialog.className = 'confirm-dialog';
dialog.setAttribute('aria-labelledby', 'confirm-dialog-question');
dialog.innerHTML =
  '<form method="dialog"><p id="confirm-dialog-question" class="confirm-dialog__question"></p>' +
  '<div class="form__actions"><button value="yes" class="button button--danger"></button>' +
  '<button value="no" class="button button--secondary" autofocus></button></div></form>';
document.body.append(dialog);
const [yes, no] = dialog.querySelectorAll('button');
let pending = null;

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (form.elements.confirm?.value === 'yes') return;
  event.preventDefault();
  pending = form;
  dialog.querySelector('p').textContent = form.dataset.confirm;
  yes.textContent = form.dataset.confirmYes ?? 'OK';
  no.textContent = form.dataset.confirmNo ?? 'Cancel';
  dialog.returnValue = '';
  dialog.showModal();
});

dialog.addEventListener('close', () => {
  const form = pending;
  pending = null;
  if (!form || dialog.returnValue !== 'yes') return;
  form.elements.confirm.value = 'yes';
  form.requestSubmit();
});
