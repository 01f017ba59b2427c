;;; test-driver.el --- drives batch Emacs + eglot + shippi.el for test/editors/emacs.test.ts  -*- lexical-binding: t; -*-
;; Opens the target file, starts eglot with the Shippi server, waits for the expected diagnostic codes,
;; applies the preferred quick fix through eglot's own workspace-edit code, waits for that code to go away,
;; and writes what happened as JSON.

(require 'json)
(require 'cl-lib)

;; With -Q, Debian's elpa packages are not activated: put them on the load path (Emacs 29+ has eglot built in).
(let ((elpa "/usr/share/emacs/site-lisp/elpa"))
  (when (file-directory-p elpa)
    (dolist (dir (directory-files elpa t "^[a-z]"))
      (when (file-directory-p dir) (add-to-list 'load-path dir)))))

(defun shippi-test--env (name)
  (or (getenv name) (error "%s is not set" name)))

(defvar shippi-test--result (list :steps nil))

(defun shippi-test--step (name)
  (plist-put shippi-test--result :steps (append (plist-get shippi-test--result :steps) (list name))))

(defun shippi-test--finish (code)
  (let ((json-encoding-pretty-print nil)
        (result (cl-loop for (k v) on shippi-test--result by #'cddr
                         append (list k (if (and (listp v) (not (eq v t))) (vconcat v) v)))))
    (with-temp-file (shippi-test--env "SHIPPI_RESULT")
      (insert (json-encode result))))
  (kill-emacs code))

(defun shippi-test--codes ()
  "Sorted rule codes of the Shippi diagnostics eglot holds for this buffer."
  (sort (cl-loop for d in eglot--diagnostics
                 for lsp = (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))
                 when (equal (plist-get lsp :source) "shippi")
                 when (plist-get lsp :code) collect it)
        #'string<))

(defun shippi-test--wait (predicate seconds)
  "Process events until PREDICATE holds or SECONDS pass; return whether it held."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall predicate)))

(condition-case err
    (progn
      (require 'eglot)
      (load (expand-file-name "shippi.el" (shippi-test--env "SHIPPI_EMACS_DIR")) nil t)
      (setq shippi-command (append (json-read-from-string (shippi-test--env "SHIPPI_CMD")) nil))
      (when (getenv "SHIPPI_SETTINGS")
        (setq shippi-initialization-options
              (let ((json-object-type 'plist)) (json-read-from-string (getenv "SHIPPI_SETTINGS")))))
      (shippi-eglot-register)
      (let* ((expected (append (json-read-from-string (shippi-test--env "SHIPPI_EXPECT")) nil))
             (fix-code (shippi-test--env "SHIPPI_FIX_CODE"))
             (eglot-sync-connect 20)
             (inhibit-message t))
        (find-file (shippi-test--env "SHIPPI_TARGET"))
        (shippi-test--step (format "opened:%s" major-mode))
        (apply #'eglot (eglot--guess-contact))
        (unless (eglot-current-server) (error "eglot did not connect"))
        (shippi-test--step (format "server:%s" (eieio-object-class-name (eglot-current-server))))
        (let ((arrived (shippi-test--wait
                        (lambda () (cl-every (lambda (c) (member c (shippi-test--codes))) expected)) 20)))
          (plist-put shippi-test--result :before (shippi-test--codes))
          (unless arrived (shippi-test--step "timeout waiting for diagnostics") (shippi-test--finish 1)))
        (let* ((lsp (cl-loop for d in eglot--diagnostics
                             for l = (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))
                             when (equal (plist-get l :code) fix-code) return d))
               (actions (eglot-code-actions (flymake-diagnostic-beg lsp) (flymake-diagnostic-end lsp) "quickfix"))
               (action (cl-find-if (lambda (a) (and (plist-get a :isPreferred) (plist-get a :edit))) actions)))
          (unless action (shippi-test--step "no preferred quick fix") (shippi-test--finish 1))
          (plist-put shippi-test--result :action (plist-get action :title))
          (eglot--apply-workspace-edit (plist-get action :edit))
          (shippi-test--step "applied")
          ;; eglot sends the buffer change from an idle timer, and batch Emacs is never idle: run what the
          ;; timer would run.
          (when (timerp eglot--change-idle-timer) (cancel-timer eglot--change-idle-timer))
          (eglot--signal-textDocument/didChange)
          (let ((gone (shippi-test--wait (lambda () (not (member fix-code (shippi-test--codes)))) 20)))
            ;; Let any late (stale) publish arrive before reading the final state.
            (shippi-test--wait (lambda () nil) 0.5)
            (plist-put shippi-test--result :fixed (if gone t :json-false))
            (plist-put shippi-test--result :after (shippi-test--codes))
            (plist-put shippi-test--result :text (buffer-substring-no-properties (point-min) (point-max))))
          (ignore-errors (eglot-shutdown (eglot-current-server)))
          (shippi-test--finish 0))))
  (error
   (plist-put shippi-test--result :error (error-message-string err))
   (shippi-test--finish 1)))
