/*
 * validate(schema, value): checks a JSON value against a schema in a subset of JSON Schema:
 * type (string, number, integer, boolean, object, array, null, or a list of them), enum, const,
 * minimum, maximum, minLength, maxLength, pattern, items, minItems, maxItems, uniqueItems,
 * properties, required, additionalProperties (false or a schema).
 * Answers {"valid": true} or {"valid": false, "errors": [{"path": "$.items[1].qty", "message": ...}]}.
 */
function typeOf(value) {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'array';
    if (typeof value === 'number' && value % 1 === 0) return 'integer';
    return typeof value;
}

function hasType(value, type) {
    var actual = typeOf(value);
    return actual === type || (type === 'number' && actual === 'integer');
}

function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
}

function check(schema, value, path, errors) {
    function fail(message) {
        errors.push({ path: path, message: message });
    }
    if (schema.type !== undefined) {
        var types = Array.isArray(schema.type) ? schema.type : [schema.type];
        if (!types.some(function (type) { return hasType(value, type); })) {
            fail('expected ' + types.join(' or ') + ', got ' + typeOf(value));
            return;
        }
    }
    if (schema['enum'] !== undefined && !schema['enum'].some(function (e) { return same(e, value); }))
        fail('must be one of ' + JSON.stringify(schema['enum']));
    if (schema['const'] !== undefined && !same(schema['const'], value))
        fail('must be ' + JSON.stringify(schema['const']));
    if (typeof value === 'number') {
        if (schema.minimum !== undefined && value < schema.minimum) fail('must be at least ' + schema.minimum);
        if (schema.maximum !== undefined && value > schema.maximum) fail('must be at most ' + schema.maximum);
    }
    if (typeof value === 'string') {
        if (schema.minLength !== undefined && value.length < schema.minLength)
            fail('must be at least ' + schema.minLength + ' characters long');
        if (schema.maxLength !== undefined && value.length > schema.maxLength)
            fail('must be at most ' + schema.maxLength + ' characters long');
        if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value))
            fail('must match ' + schema.pattern);
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems)
            fail('must have at least ' + schema.minItems + ' items');
        if (schema.maxItems !== undefined && value.length > schema.maxItems)
            fail('must have at most ' + schema.maxItems + ' items');
        if (schema.uniqueItems === true) {
            var seen = {};
            value.forEach(function (item, i) {
                var key = JSON.stringify(item);
                if (seen.hasOwnProperty(key)) fail('items ' + seen[key] + ' and ' + i + ' are equal');
                else seen[key] = i;
            });
        }
        if (schema.items !== undefined) {
            value.forEach(function (item, i) { check(schema.items, item, path + '[' + i + ']', errors); });
        }
    }
    if (typeOf(value) === 'object') {
        var properties = schema.properties || {};
        (schema.required || []).forEach(function (name) {
            if (!Object.prototype.hasOwnProperty.call(value, name)) fail('missing required property ' + name);
        });
        Object.keys(value).forEach(function (name) {
            var where = path + '.' + name;
            if (Object.prototype.hasOwnProperty.call(properties, name)) {
                check(properties[name], value[name], where, errors);
            } else if (schema.additionalProperties === false) {
                fail('unexpected property ' + name);
            } else if (typeof schema.additionalProperties === 'object') {
                check(schema.additionalProperties, value[name], where, errors);
            }
        });
    }
}

exports.validate = function (schema, value) {
    if (typeOf(schema) !== 'object') throw new TypeError('the schema must be a JSON object');
    var errors = [];
    check(schema, value, '$', errors);
    return errors.length === 0 ? { valid: true } : { valid: false, errors: errors };
};
