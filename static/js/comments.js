// Discussion enhancements: reply in place, post without reloading, like without
// reloading. Every action also works as a plain link or form without this file.
(function () {
  "use strict";

  const discussion = document.getElementById("discussion");
  if (!discussion) return;

  const form = document.getElementById("reply-form");
  const heading = document.getElementById("comments-heading");

  function csrfToken(scope) {
    const input = (scope || document).querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function postForm(url, data) {
    const response = await fetch(url, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    });
    const body = await response.json().catch(() => null);
    return { response, body };
  }

  // --- Reply in place -------------------------------------------------------
  if (form) {
    // Words the script shows come translated from the page (data-text-* on the form).
    const text = {
      cancel: form.dataset.textCancel,
      replyTo: form.dataset.textReplyTo,
      thisComment: form.dataset.textThisComment,
      postReply: form.dataset.textPostReply,
      posted: form.dataset.textPosted,
      oneReply: form.dataset.textOneReply,
      replies: form.dataset.textReplies, // "{n} replies", for any number but one
      kept: form.dataset.textKept,
    };
    const parentInput = form.querySelector("input[name=parent]");
    const tokenInput = form.querySelector("input[name=token]");
    const textarea = form.querySelector("textarea[name=body]");
    const title = document.getElementById("reply-form-title");
    const submit = form.querySelector("button[type=submit]");
    const home = document.createComment("reply-form-home");
    const labels = {
      comment: title ? title.textContent : "",
      submit: submit ? submit.textContent : "",
    };
    form.parentNode.insertBefore(home, form);
    let cancel = form.querySelector("[data-cancel-reply]");
    const status = document.createElement("p");
    status.className = "form-status small mt-2";
    status.setAttribute("role", "status");
    form.appendChild(status);

    function ensureCancel() {
      if (cancel) return cancel;
      cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "btn btn-link";
      cancel.textContent = text.cancel;
      cancel.setAttribute("data-cancel-reply", "");
      submit.after(cancel);
      return cancel;
    }

    // A comment's reply link is the one in its footer that leads to ?replyto=<id>.
    const REPLY_LINK = "footer > a[href*='?replyto=']";

    function replyTo(commentId, link) {
      const item = document.getElementById("comment-" + commentId);
      if (!item) return;
      item.querySelector(":scope > article").after(form);
      parentInput.value = commentId;
      const author = item.querySelector(":scope > article .author");
      if (title) title.textContent = text.replyTo.replace("%(name)s", author ? author.textContent.trim() : text.thisComment);
      if (submit) submit.textContent = text.postReply;
      ensureCancel().hidden = false;
      textarea.focus();
      history.replaceState(null, "", link.getAttribute("href").split("#")[0]);
    }

    function resetForm() {
      home.after(form);
      parentInput.value = "";
      if (title) title.textContent = labels.comment;
      if (submit) submit.textContent = labels.submit;
      if (cancel) cancel.hidden = true;
      // Reloading should not bring back a reply that was posted or cancelled.
      const url = new URL(location.href);
      if (url.searchParams.has("replyto")) {
        url.searchParams.delete("replyto");
        history.replaceState(null, "", url);
      }
    }

    // A form placed under a comment by ?replyto= starts in reply mode.
    if (parentInput.value) {
      const original = document.getElementById("reply-form");
      original.dataset.startedAsReply = "true";
    }

    discussion.addEventListener("click", (event) => {
      const link = event.target.closest(REPLY_LINK);
      if (link && link.closest(".comment-list")) {
        event.preventDefault();
        replyTo(new URL(link.href).searchParams.get("replyto"), link);
        return;
      }
      if (event.target.closest("[data-cancel-reply]") && form.dataset.startedAsReply !== "true") {
        event.preventDefault();
        const parentId = parentInput.value;
        resetForm();
        const item = parentId && document.getElementById("comment-" + parentId);
        if (item) item.querySelector(`:scope > article > ${REPLY_LINK}`)?.focus();
      }
    });

    function clearErrors() {
      form.querySelectorAll(".is-invalid").forEach((el) => {
        el.classList.remove("is-invalid");
        // Point back at the help text alone, not at an error that is gone.
        if ("describedby" in el.dataset) {
          if (el.dataset.describedby) el.setAttribute("aria-describedby", el.dataset.describedby);
          else el.removeAttribute("aria-describedby");
          delete el.dataset.describedby;
        }
      });
      form.querySelectorAll(".js-error").forEach((el) => el.remove());
      status.textContent = "";
    }

    function showErrors(errors) {
      for (const [name, list] of Object.entries(errors || {})) {
        const field = form.querySelector(`[name=${name}]`);
        const message = list.map((e) => e.message).join(" ");
        if (field && field.type !== "hidden") {
          field.classList.add("is-invalid");
          const feedback = document.createElement("div");
          feedback.className = "invalid-feedback js-error";
          feedback.id = `${field.id}-js-error`;
          feedback.textContent = message;
          field.after(feedback);
          const described = field.getAttribute("aria-describedby") || "";
          field.dataset.describedby = described;
          field.setAttribute("aria-describedby", `${feedback.id} ${described}`.trim());
          field.focus();
        } else {
          status.textContent = message;
        }
      }
    }

    function insertComment(html, anchor, parentId, depthCapped) {
      const template = document.createElement("template");
      template.innerHTML = html.trim();
      const article = template.content.firstElementChild;
      article.classList.add("is-new");
      const item = document.createElement("li");
      item.id = anchor;
      item.appendChild(article);
      // As the server marks it: a reply to a comment at the last level sits beside it.
      if (depthCapped) item.dataset.depthCapped = "true";
      let list;
      const parent = parentId && document.getElementById("comment-" + parentId);
      if (parent) {
        let details = parent.querySelector(":scope > details.replies");
        if (!details) {
          // Past the display depth, a reply sits beside its parent, after the replies
          // already there: the items that follow it while each answers one of them.
          if (parent.closest("details.replies") && parent.dataset.depthCapped === "true") {
            besideLastReplyOf(parent).after(item);
            return item;
          }
          details = document.createElement("details");
          details.className = "replies";
          details.open = true;
          details.innerHTML = "<summary></summary><ol></ol>";
          details.querySelector("summary").textContent = text.oneReply;
          parent.appendChild(details);
        }
        details.open = true;
        list = details.querySelector(":scope > ol");
      } else {
        list = discussion.querySelector(":scope > ol.comment-list");
        if (!list) {
          list = document.createElement("ol");
          list.className = "comment-list";
          home.before(list);
        }
      }
      list.appendChild(item);
      return item;
    }

    // The last item of a capped comment's subtree, drawn beside it: each reply there says
    // whom it answers ("in reply to NAME", a link to that comment; a placeholder, data-reply-to).
    function besideLastReplyOf(parent) {
      const subtree = new Set([parent.id]);
      let last = parent;
      for (let next = parent.nextElementSibling; next; next = next.nextElementSibling) {
        const article = next.querySelector(":scope > article");
        const link = article && article.querySelector(":scope > .comment-in-reply");
        const answers = link ? link.getAttribute("href").slice(1) : article && article.dataset.replyTo;
        if (!answers || !subtree.has(answers)) break;
        subtree.add(next.id);
        last = next;
      }
      return last;
    }

    // Each list of replies the new comment went into counts it, as the page would after a reload.
    function recountReplies(item) {
      let details = item.closest("details.replies");
      while (details) {
        const count = details.querySelectorAll(':scope > ol li[id^="comment-"]').length;
        details.querySelector(":scope > summary").textContent =
          count === 1 ? text.oneReply : text.replies.replace("{n}", String(count));
        details = details.parentElement.closest("details.replies");
      }
    }

    form.addEventListener("submit", async (event) => {
      if (!window.fetch) return;
      event.preventDefault();
      clearErrors();
      submit.disabled = true;
      try {
        const parentId = parentInput.value;
        const { response, body } = await postForm(form.action, new FormData(form));
        if (response.ok && body) {
          const item = insertComment(body.html, body.anchor, parentId, body.depth_capped);
          recountReplies(item);
          if (heading && body.heading) heading.textContent = body.heading;
          textarea.value = "";
          tokenInput.value = crypto.randomUUID ? crypto.randomUUID() : "";
          if (form.dataset.startedAsReply !== "true") resetForm();
          status.textContent = body.message || text.posted;
          if (body.help_html) {
            // An urgent hold: where to find help, above the writer's comment, ready to read.
            const help = document.createElement("template");
            help.innerHTML = body.help_html.trim();
            const panel = help.content.firstElementChild;
            panel.tabIndex = -1;
            item.prepend(panel);
            panel.focus();
          } else {
            item.querySelector(`a[href="#${item.id}"]`)?.focus();
          }
        } else if (response.status === 400 && body) {
          showErrors(body.errors);
        } else if (body && body.message) {
          // Refused (closed, suspended...): say why, keep the text where it is.
          status.textContent = body.message + " " + text.kept;
        } else {
          form.submit();
        }
      } catch (error) {
        form.submit();
      } finally {
        submit.disabled = false;
      }
    });
  }

  // --- Likes -----------------------------------------------------------------
  const likeForm = document.getElementById("likes");
  if (likeForm) {
    discussion.addEventListener("click", async (event) => {
      const button = event.target.closest("button[form=likes]");
      if (!button || !window.fetch) return;
      event.preventDefault();
      const data = new FormData(likeForm);
      data.set("comment", button.value);
      button.disabled = true;
      try {
        const { response, body } = await postForm(likeForm.action, data);
        if (response.ok && body) {
          button.setAttribute("aria-pressed", body.liked ? "true" : "false");
          button.querySelector("span").textContent = body.count;
        } else {
          // A disabled submitter sends no name=value pair, and the server could not tell which comment.
          button.disabled = false;
          likeForm.requestSubmit(button);
        }
      } finally {
        button.disabled = false;
      }
    });
  }
})();

// Liking the post itself, without a reload.
(function () {
  "use strict";
  const postLike = document.querySelector("form.post-like-form");
  if (!postLike || !window.fetch) return;
  postLike.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = postLike.querySelector("button");
    button.disabled = true;
    try {
      const response = await fetch(postLike.action, {
        method: "POST",
        body: new FormData(postLike),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const body = await response.json().catch(() => null);
      if (response.ok && body) {
        button.setAttribute("aria-pressed", body.liked ? "true" : "false");
        button.querySelector(".like-count").textContent = body.count;
      } else {
        postLike.submit();
      }
    } finally {
      button.disabled = false;
    }
  });
})();
