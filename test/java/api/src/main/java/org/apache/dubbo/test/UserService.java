package org.apache.dubbo.test;

import java.util.List;

/** In-memory CRUD over {@link User}. */
public interface UserService {

    /** Stores the user; an id of 0 is replaced by the next free id. Returns the stored user. */
    User create(User user);

    /** Returns the user, or null if there is none with this id. */
    User get(long id);

    /** Replaces an existing user; false if the id is unknown. */
    boolean update(User user);

    /** Removes a user; false if the id is unknown. */
    boolean delete(long id);

    /** All users ordered by id. */
    List<User> list();

    List<User> findByStatus(UserStatus status);
}
