// A few DOM helpers: elements from data (text only: nothing from the API is ever parsed as HTML).

// h('td', {class: 'num', dataset: {key: 'x'}}, 'text', child...) -> element.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Sets the text only when it changed (no needless layout or repaint).
export function setText(element, text) {
  const value = text == null ? '' : String(text);
  if (element.textContent !== value) element.textContent = value;
}

// Sets a data attribute only when it changed.
export function setData(element, name, value) {
  const text = value == null ? '' : String(value);
  if (element.dataset[name] !== text) element.dataset[name] = text;
}

// Replaces an element's children.
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

export const $ = (selector, root = document) => root.querySelector(selector);
