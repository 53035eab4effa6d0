/*
 * A small rules engine.
 *   evaluate(rules, facts): every rule whose condition holds for the facts fires, in order:
 *     a rule is {"name": ..., "when": condition, "then": any JSON value (what to do)};
 *     a condition is {"all": [conditions]}, {"any": [conditions]}, {"not": condition}, or
 *     {"fact": "path.to.value", "op": "eq|ne|lt|lte|gt|gte|in|contains|matches|exists", "value": ...}.
 *   Answers {"fired": [{"name", "then"}...], "checked": number of rules}.
 *   check(order): the rules below applied to an order such as {"amount": 12, "country": "FR"}:
 *     {"decision": "accept" | "review" | "reject", "reasons": [rule names]}.
 */
var ORDER_RULES = [
    { name: 'blocked country', when: { fact: 'country', op: 'in', value: ['XX', 'YY'] }, then: 'reject' },
    { name: 'no amount', when: { not: { fact: 'amount', op: 'exists' } }, then: 'reject' },
    { name: 'large amount', when: { fact: 'amount', op: 'gt', value: 1000 }, then: 'review' },
    {
        name: 'new customer spending much',
        when: { all: [{ fact: 'customer.orders', op: 'lt', value: 2 }, { fact: 'amount', op: 'gte', value: 200 }] },
        then: 'review'
    }
];
var SEVERITY = { accept: 0, review: 1, reject: 2 };

function factAt(facts, path) {
    return String(path).split('.').reduce(function (value, key) {
        return value !== null && typeof value === 'object' ? value[key] : undefined;
    }, facts);
}

var OPS = {
    eq: function (a, b) { return JSON.stringify(a) === JSON.stringify(b); },
    ne: function (a, b) { return JSON.stringify(a) !== JSON.stringify(b); },
    lt: function (a, b) { return typeof a === typeof b && a < b; },
    lte: function (a, b) { return typeof a === typeof b && a <= b; },
    gt: function (a, b) { return typeof a === typeof b && a > b; },
    gte: function (a, b) { return typeof a === typeof b && a >= b; },
    'in': function (a, b) { return Array.isArray(b) && b.some(function (x) { return OPS.eq(a, x); }); },
    contains: function (a, b) {
        return (Array.isArray(a) && a.some(function (x) { return OPS.eq(x, b); }))
            || (typeof a === 'string' && a.indexOf(b) >= 0);
    },
    matches: function (a, b) { return typeof a === 'string' && new RegExp(b).test(a); },
    exists: function (a) { return a !== undefined && a !== null; }
};

function holds(condition, facts) {
    if (condition.all) return condition.all.every(function (c) { return holds(c, facts); });
    if (condition.any) return condition.any.some(function (c) { return holds(c, facts); });
    if (condition.not) return !holds(condition.not, facts);
    var op = OPS[condition.op];
    if (!op || !Object.prototype.hasOwnProperty.call(OPS, condition.op))
        throw new TypeError('unknown op ' + JSON.stringify(condition.op) + ' in ' + JSON.stringify(condition));
    return op(factAt(facts, condition.fact), condition.value);
}

exports.evaluate = function (rules, facts) {
    if (!Array.isArray(rules)) throw new TypeError('rules must be an array');
    var fired = rules.filter(function (rule) { return holds(rule.when, facts); }).map(function (rule) {
        return { name: rule.name, then: rule.then === undefined ? null : rule.then };
    });
    return { fired: fired, checked: rules.length };
};

exports.check = function (order) {
    var fired = exports.evaluate(ORDER_RULES, order).fired;
    var decision = fired.reduce(function (worst, rule) {
        return SEVERITY[rule.then] > SEVERITY[worst] ? rule.then : worst;
    }, 'accept');
    return { decision: decision, reasons: fired.map(function (rule) { return rule.name; }) };
};
