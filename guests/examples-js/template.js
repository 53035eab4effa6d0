/*
 * render(template, data): a logic-less template, in the style of Mustache.
 *   {{name}}, {{order.customer.name}}  the value, HTML-escaped ({{{name}}}: as it is)
 *   {{#items}}...{{/items}}            repeated for each item of an array (once for any other true value);
 *                                      inside, names are looked up in the item first, {{.}} is the item
 *   {{^items}}...{{/items}}            rendered when the value is missing, false, null or an empty array
 * A missing value renders as nothing; an unbalanced section is an error naming it.
 */
var TAG = /\{\{(\{)?\s*([#^\/])?\s*([\w.-]+|\.)\s*\}?\}\}/g;
var ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function parse(template) {
    var root = { children: [] };
    var open = [root];
    var last = 0;
    var m;
    TAG.lastIndex = 0;
    while ((m = TAG.exec(template)) !== null) {
        var top = open[open.length - 1];
        if (m.index > last) top.children.push(template.slice(last, m.index));
        last = TAG.lastIndex;
        if (m[2] === '#' || m[2] === '^') {
            var section = { name: m[3], inverted: m[2] === '^', children: [] };
            top.children.push(section);
            open.push(section);
        } else if (m[2] === '/') {
            if (open.length === 1 || top.name !== m[3]) throw new SyntaxError('{{/' + m[3] + '}} closes no open section');
            open.pop();
        } else {
            top.children.push({ name: m[3], raw: m[1] === '{' });
        }
    }
    if (open.length > 1) throw new SyntaxError('{{#' + open[open.length - 1].name + '}} is never closed');
    if (last < template.length) root.children.push(template.slice(last));
    return root;
}

function lookup(scopes, name) {
    if (name === '.') return scopes[scopes.length - 1];
    var path = name.split('.');
    for (var i = scopes.length - 1; i >= 0; i--) {
        var scope = scopes[i];
        if (scope !== null && typeof scope === 'object' && path[0] in scope) {
            var value = scope;
            for (var j = 0; j < path.length && value !== null && value !== undefined; j++) value = value[path[j]];
            return value;
        }
    }
    return undefined;
}

function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return ESCAPES[c]; });
}

function render(node, scopes, out) {
    node.children.forEach(function (child) {
        if (typeof child === 'string') {
            out.push(child);
            return;
        }
        var value = lookup(scopes, child.name);
        if (!child.children) {
            if (value !== undefined && value !== null) out.push(child.raw ? String(value) : escape(value));
            return;
        }
        var empty = !value || (Array.isArray(value) && value.length === 0);
        if (child.inverted) {
            if (empty) render(child, scopes, out);
        } else if (!empty) {
            (Array.isArray(value) ? value : [value]).forEach(function (item) {
                render(child, scopes.concat([item]), out);
            });
        }
    });
}

exports.render = function (template, data) {
    if (typeof template !== 'string') throw new TypeError('the template must be a string');
    var out = [];
    render(parse(template), [data], out);
    return out.join('');
};
