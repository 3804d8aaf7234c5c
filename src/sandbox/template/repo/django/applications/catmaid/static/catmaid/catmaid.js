/* The CATMAID front-end, as far as the sandbox needs one. */
window.CATMAID = window.CATMAID || {};
