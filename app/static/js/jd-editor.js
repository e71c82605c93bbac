// The job-description editor: add, remove and reorder rows in place, renumber the fields before
// sending, and warn before leaving with unsaved changes. Without it the form still saves what is
// on the page.
(function () {
  var form = document.getElementById('jd-editor');
  if (!form) { return; }
  var dirty = false;
  var marker = form.querySelector('.jd-dirty');

  function markDirty() {
    dirty = true;
    if (marker) { marker.classList.remove('d-none'); }
  }

  function clone(id) {
    var template = document.getElementById(id);
    return template.content.firstElementChild.cloneNode(true);
  }

  function focusFirst(row) {
    var input = row.querySelector('textarea, input:not([type=hidden]), select');
    if (input) { input.focus(); }
  }

  form.addEventListener('click', function (event) {
    var button = event.target.closest('button');
    if (!button || !form.contains(button)) { return; }
    var add = button.dataset.add, move = button.dataset.move, remove = button.dataset.remove;
    if (add) {
      event.preventDefault();
      var row;
      if (add === 'section') {
        row = clone('tpl-section');
        row.querySelector('[data-list=duties]').appendChild(clone('tpl-duty'));
        form.querySelector('[data-list=sections]').appendChild(row);
      } else if (add === 'duty') {
        row = clone('tpl-duty');
        button.closest('.jd-section').querySelector('[data-list=duties]').appendChild(row);
      } else {
        row = clone('tpl-' + add);
        button.parentElement.querySelector('[data-list]').appendChild(row);
      }
      focusFirst(row);
      markDirty();
    } else if (move) {
      event.preventDefault();
      var item = button.closest('[data-row]');
      if (move === 'up' && item.previousElementSibling) {
        item.parentElement.insertBefore(item, item.previousElementSibling);
      } else if (move === 'down' && item.nextElementSibling) {
        item.parentElement.insertBefore(item.nextElementSibling, item);
      }
      button.focus();
      markDirty();
    } else if (remove) {
      event.preventDefault();
      var target = button.closest('[data-row]');
      var hasText = Array.prototype.some.call(target.querySelectorAll('textarea, input:not([type=hidden])'),
        function (el) { return el.value.trim() !== ''; });
      if (hasText && remove === 'section' && !window.confirm(form.dataset.removeSection || 'Remove this section and its duties?')) {
        return;
      }
      target.remove();
      markDirty();
    }
  });

  form.addEventListener('input', markDirty);
  form.addEventListener('change', markDirty);

  // Field names follow the order on the page: sections-0-duties-2-text, kpis-1-target, ...
  function renumber() {
    form.querySelectorAll('[data-list=sections] > .jd-section').forEach(function (section, s) {
      section.querySelectorAll(':scope > .card-header [data-field]').forEach(function (el) {
        el.name = 'sections-' + s + '-' + el.dataset.field;
      });
      section.querySelectorAll('[data-list=duties] > .jd-duty').forEach(function (duty, d) {
        duty.querySelectorAll('[data-field]').forEach(function (el) {
          el.name = 'sections-' + s + '-duties-' + d + '-' + el.dataset.field;
        });
      });
    });
    ['requirements', 'competencies', 'kpis'].forEach(function (list) {
      var container = form.querySelector('[data-list=' + list + ']');
      if (!container) { return; }
      Array.prototype.forEach.call(container.children, function (row, i) {
        row.querySelectorAll('[data-field]').forEach(function (el) {
          el.name = list + '-' + i + '-' + el.dataset.field;
        });
      });
    });
  }

  form.addEventListener('submit', function () {
    renumber();
    dirty = false;
  });

  window.addEventListener('beforeunload', function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = form.dataset.dirtyWarning || '';
      return event.returnValue;
    }
  });
}());
