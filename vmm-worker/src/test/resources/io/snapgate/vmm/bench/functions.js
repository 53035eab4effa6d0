var rules = {};
exports.trivial = function (x) { return x; };
exports.object = function (n) {
    var o = {};
    for (var i = 0; i < n; i++) o['key' + i] = 'the value of key ' + i;
    return o;
};
